"""The grader's old single-module name, kept so existing imports work: see :mod:`armscontrol.grading`.

Re-exports the public names that lived here before grading became a package of one module
per step (collect, assemble, execute, score, report).
"""
from armscontrol.grading.assemble import build_graded_cells, helpers_source, match_exercise
from armscontrol.grading.autograde import grade, grade_submission
from armscontrol.grading.collect import Submission, find_submissions, parse_student, split_name
from armscontrol.grading.report import feedback_markdown, gradebook_rows, summary, write_outputs
from armscontrol.grading.sandbox import Limits, SandboxUnavailable
from armscontrol.grading.solutions import Exercise, Question, load_exercises
from armscontrol.grading.statuses import MAX_FILE_BYTES, MAX_OUTPUT_BYTES, STATUSES

__all__ = ["Exercise", "Limits", "MAX_FILE_BYTES", "MAX_OUTPUT_BYTES", "Question", "STATUSES",
           "SandboxUnavailable", "Submission", "build_graded_cells", "feedback_markdown",
           "find_submissions", "grade", "grade_submission", "gradebook_rows", "helpers_source",
           "load_exercises", "match_exercise", "parse_student", "split_name", "summary",
           "write_outputs"]
