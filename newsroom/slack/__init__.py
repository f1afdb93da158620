"""The Slack door: Bolt app, slash command, buttons and modal; pure Block Kit builders."""
