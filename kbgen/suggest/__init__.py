"""`kbgen suggest`: customers' words turned into `keywords` and search tests for writers.

evidence.py gathers what customers did (reformulated searches, searches with results but no
click); words.py decides which customer texts may become content; plan.py turns evidence
into suggestions; frontmatter_edit.py and tests_edit.py write them, diff.py shows them.
"""
