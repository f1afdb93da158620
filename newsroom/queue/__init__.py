"""The job queue when NEWSROOM_DATABASE_URL is set: procrastinate on PostgreSQL, fronts defer, workers run."""
