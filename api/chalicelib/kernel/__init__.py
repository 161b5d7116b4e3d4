"""What every room of the consultation shares: errors, time, the catalog, input checks, paging, keys, store errors.

Pure: nothing here imports boto3, botocore, chalice, sqlite3 or an HTTP library (tests/unit/api/test_house.py).
"""
