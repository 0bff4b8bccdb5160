"""The domain: what a Sozialraumbudget is made of, in Python terms.

Input models (pydantic), their validation with German messages naming the cell, results,
exact money, errors, German number and text helpers, and the bundled example. Imports nothing
of xlsozial outside this folder: every other layer may build on it.
"""
