"""The names of a workspace's files: the department profile and, in each year's folder, figures and evaluation."""

PROFILE_FILE = "zzperf.toml"
ACCOUNTS_FILE = "accounts.toml"
EVALUATION_FILE = "evaluation.toml"
