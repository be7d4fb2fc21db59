"""Datasets: the generation driver (generate), the file format (dataset), Lample & Charton
import (lc_format), the independent audit, and batching (bucketing, collate; torch)."""
