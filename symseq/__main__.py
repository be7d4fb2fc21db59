"""``python -m symseq`` runs the command line (also under ``torchrun -m symseq``)."""

from symseq.cli import main

if __name__ == "__main__":
    main()
