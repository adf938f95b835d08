"""Grading handed-in exercise notebooks, one step per module, in the order they run:

1. :mod:`~armscontrol.grading.collect`   find the submissions and read them (links refused)
2. :mod:`~armscontrol.grading.assemble`  build the notebook to run: the student's answers,
   the solution's tests (with hidden tests), the grader's own check cells
3. :mod:`~armscontrol.grading.execute`   run it in a fresh kernel, inside
   :mod:`~armscontrol.grading.sandbox` (bubblewrap: no network, no view of the module folder,
   memory and CPU limits), with per-cell timeouts and an output cap
4. :mod:`~armscontrol.grading.score`     points per test cell, status flags and reasons
5. :mod:`~armscontrol.grading.report`    gradebook.csv, feedback/STUDENT.md, written_answers.csv;
   :mod:`~armscontrol.grading.class_report` the class report, report.html;
   and :mod:`~armscontrol.grading.lms`  the roster match and the Canvas or Moodle import file

:mod:`~armscontrol.grading.solutions` describes the exercises (questions, points) from
solutions/, :mod:`~armscontrol.grading.statuses` lists the status flags, and
:mod:`~armscontrol.grading.autograde` runs the whole pipeline over a folder
(:func:`grade`, what ``python -m armscontrol grade`` calls). docs/grading.md is the teachers'
guide, including what the sandbox does and does not promise.
"""
from armscontrol.grading.autograde import Settings, grade, grade_submission
from armscontrol.grading.sandbox import Limits, Sandbox, SandboxUnavailable
from armscontrol.grading.statuses import STATUSES

__all__ = ["Limits", "Sandbox", "SandboxUnavailable", "STATUSES", "Settings", "grade",
           "grade_submission"]
