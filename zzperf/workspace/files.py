"""The names of a workspace's files: the department profile and, in each year's folder, figures, evaluation, 复核."""

PROFILE_FILE = "zzperf.toml"
ACCOUNTS_FILE = "accounts.toml"
EVALUATION_FILE = "evaluation.toml"
REVIEW_FILE = "review.toml"
