"""The exam session (no Qt): the engine contract, the exam clock, ExamService."""
