"""Workflows across several records. The people, plans and corrections workflows are named here
(`services.change_status`); the safety ones live in services.safety, with what they share in services.alerts."""

from .corrections import amend
from .people import change_status, reassign
from .plans import VersionConflict, save_version

__all__ = ["VersionConflict", "amend", "change_status", "reassign", "save_version"]
