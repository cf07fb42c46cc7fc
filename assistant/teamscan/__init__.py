"""Teamscan: a multi-respondent self-assessment of a network, with a cited action plan."""
