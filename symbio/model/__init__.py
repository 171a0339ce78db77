"""The optimization model: sparse index, one module per component family, generic extract."""

from symbio.model.build import build, build_model
from symbio.model.index import ModelIndex, build_index, crf
from symbio.model.options import ModelOptions

__all__ = ["ModelIndex", "ModelOptions", "build", "build_index", "build_model", "crf"]
