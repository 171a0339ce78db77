"""Suite-wide test settings."""

from hypothesis import settings

# CI shares a 2-core machine with other jobs: wall-clock deadlines per example only make
# property tests flaky, they do not test anything about symbio.
settings.register_profile("symbio", deadline=None)
settings.load_profile("symbio")
