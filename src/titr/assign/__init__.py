"""Layer 4 — strategic assignment, year by year: logit route choice and a capacity LP."""

from titr.assign.assess import assess
from titr.assign.assessment_result import TABLES, AssessmentResult
from titr.assign.year import Options

__all__ = ["TABLES", "AssessmentResult", "Options", "assess"]
