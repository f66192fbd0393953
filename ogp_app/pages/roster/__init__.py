"""The manual roster pages: /school/classes, /school/pupils, /school/guardians, /school/teachers."""
