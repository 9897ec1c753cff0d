"""PDF documents made with reportlab: the printed blank questionnaire, and reports."""
