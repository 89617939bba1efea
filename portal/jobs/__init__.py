"""Background work: building copies, sending messages, the nightly retention and age review.

The database holds the work (an open copy request with no current copy, a pending message,
a record past its retention date); a job is only a nudge to do it now. Services ask for one
with `queue.after_commit`, which submits it once their transaction commits and forgets it if
it rolls back. With REDIS_URL set the job goes to RQ and a worker (`flask --app portal worker`)
runs it, retried with backoff; without, it runs in this process once the request or command
that committed is over. A job that still fails leaves its work due in the database, where the
sweep (`flask --app portal enqueue sweep`, every few minutes) finds it again.
"""
