"""Test doubles: scripted model, fake OpenAI, fake Slack, HTTP fakes, fake store."""
