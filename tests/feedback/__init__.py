"""Residents' feedback: submission, moderation, answers, privacy, deadlines, throttling."""
