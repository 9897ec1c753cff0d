"""The questionnaire: its declarative definition (forms/*.yaml), documents of
answers, their validation and their binding to residents, questionnaires and
streams. Renders nothing itself: the GUI editor, the Excel template and the
printed form are all generated from what this package loads."""
