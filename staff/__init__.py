"""Staff commands (`datacity staff-token`, `moderate`, `results`, `import-workshop`...): an HTTP client of the staff
API and file writers. They reach the API over HTTP only (standard library), see docs/staff.md."""
