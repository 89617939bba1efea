"""WTForms classes, one module per journey. Forms check shape; services check rules."""
