"""Excel in and out: questionnaire templates and their import, the consolidated register."""
