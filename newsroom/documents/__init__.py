"""Stories as documents: explainer and briefing as JSON, Markdown and a self-contained HTML page."""
