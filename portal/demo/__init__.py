"""Synthetic demo and load data. Identifiers only from ranges that belong to nobody:
NI numbers with the MW prefix, NHS numbers in the 999 range, phone numbers in
Ofcom's drama range, email addresses at example.com."""
