"""The questionnaire editor's parts, built from the form definition."""
