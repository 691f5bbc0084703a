"""The names of a workspace's files, and file names made from a department's name.

The department profile is in the workspace's folder; figures, evaluation and 复核 in each year's folder.
"""

import re

PROFILE_FILE = "zzperf.toml"
ACCOUNTS_FILE = "accounts.toml"
EVALUATION_FILE = "evaluation.toml"
REVIEW_FILE = "review.toml"


def safe_file_name(text: str, fallback: str = "_") -> str:
    """``text`` usable as a file name on Windows and Linux: characters a file name cannot hold become ``_``."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(" .") or fallback
