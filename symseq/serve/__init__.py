"""The local service (``symseq serve``): a JSON API and a web page over warm solver workers.
Needs the optional extra ``serve`` (FastAPI, uvicorn): ``pip install 'symseq[serve]'``."""
