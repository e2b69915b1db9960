FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BIND=0.0.0.0:8000

WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# The processes run as an unprivileged user that owns only what they write.
RUN useradd --create-home --uid 1000 lms \
    && mkdir -p /app/media /app/staticfiles /app/.run \
    && chown -R lms:lms /app/media /app/staticfiles /app/.run
USER lms

EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "lms.wsgi"]
