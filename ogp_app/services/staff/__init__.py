"""The OGP staff's side: the back office (staff accounts, schools, access to a school's data), the
contact form and its inbox, the FAQ staff edit, and visit statistics without personal data."""
