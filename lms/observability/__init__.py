"""What operators watch: probes (/healthz, /readyz), request and task context in every log
line, Prometheus metrics (/metrics) and optional error reports to Sentry.

Everything here is infrastructure: it imports no app. The tenancy app tells the request
context who is asking (tenancy.middleware.RequestUserContextMiddleware).
"""
