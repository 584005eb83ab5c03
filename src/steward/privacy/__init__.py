"""Privacy engine: suppression policies, complementary suppression, audit, de-identification."""
