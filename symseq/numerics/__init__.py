"""Numerics under both the generators and the verifier: expressions evaluated at many points in
complex double precision (``numeric``: the screens of generated pairs and the verifier's first
stage), at adaptive precision with mpmath (``precise``: is a residual zero to the accuracy
reached?), and the continuity / jump test of antiderivatives and ODE solutions (``continuity``).

Below ``generators`` and ``symseq.solve`` alike; it reads only the function table and the
symbols of ``generators`` (``generators.functions``, ``generators.symbols``)."""
