"""school/teacher_not_booked."""
