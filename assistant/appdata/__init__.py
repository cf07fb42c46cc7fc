"""App data that users create (feedback, assessments): one embedded SQLite database."""
