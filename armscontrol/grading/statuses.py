"""The status flags a gradebook row can carry, and the grader's fixed size limits."""
from __future__ import annotations

#: Status flags, most serious first; a row's status lists its flags in this order ("ok" if none).
STATUSES = {
    "refused": "a symbolic link, a link to a solutions notebook, or a file outside the submissions "
               "folder: not opened",
    "unreadable": "the file is not JSON, so not a notebook",
    "not-a-notebook": "the file is JSON but not a Jupyter notebook",
    "too-large": "the file is larger than the grader accepts",
    "unknown-exercise": "no exercise has this name or these cells",
    "wrong-exercise": "named as one exercise, holds the cells of another",
    "kernel-died": "the Python kernel died while running the notebook",
    "cpu-limit": "the kernel used more CPU time than allowed and was stopped",
    "timeout": "a cell ran longer than the time limit",
    "tampering": "the notebook changed the grader's checking machinery",
    "stray-processes": "the notebook left processes running; they were killed with its sandbox",
    "output-capped": "the notebook printed more than the output limit",
    "answer-missing": "an answer cell was deleted (or its metadata removed)",
    "tests-edited": "a test or read-only cell was edited or deleted (the original was used)",
    "cell-errors": "a cell the student wrote (or the setup) raised an error",
    "files-changed": "the notebook wrote, changed or deleted files in its working folder",
    "grader-error": "the grader itself failed on this file",
}
#: Files larger than this are not graded (a notebook with a few plots is well under 10 MB).
MAX_FILE_BYTES = 50_000_000
#: Output kept per notebook before the rest is dropped (and the row flagged output-capped).
MAX_OUTPUT_BYTES = 2_000_000
#: The flags in order of seriousness.
SEVERITY = list(STATUSES)
