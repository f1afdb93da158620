"""newsroom: cited, fact-checked explainers that editors approve in Slack."""
