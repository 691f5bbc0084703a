"""Review at the finance bureau: the change log, submission state and the reviewer's 复核 of a department year."""

from zzperf.review.history import (
    LOG_FILE,
    Entry,
    Verification,
    because,
    filter_entries,
    install,
    read_log,
    record,
    verify,
    who,
)
from zzperf.review.scores import (
    Review,
    ReviewComparison,
    ReviewEntry,
    ReviewLine,
    compare_review,
    load_review,
    set_review,
)
from zzperf.review.state import (
    STATE_WORDS,
    SUBMISSION_FILE,
    Submission,
    load_submission,
    read_only_reason,
)
from zzperf.review.submission import approve, blockers, return_year, submit

__all__ = [
    "LOG_FILE",
    "STATE_WORDS",
    "SUBMISSION_FILE",
    "Entry",
    "Review",
    "ReviewComparison",
    "ReviewEntry",
    "ReviewLine",
    "Submission",
    "Verification",
    "approve",
    "because",
    "blockers",
    "compare_review",
    "filter_entries",
    "install",
    "load_review",
    "load_submission",
    "read_log",
    "read_only_reason",
    "record",
    "return_year",
    "set_review",
    "submit",
    "verify",
    "who",
]
