
import numpy as np
import pytest
from hypothesis import settings

settings.register_profile("ci", deadline=None, max_examples=150)
settings.load_profile("ci")


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
