# Loaded by moto_server's Python at start-up (pacer puts this folder on PYTHONPATH).
#
# moto_server serves requests on many threads, and its DynamoDB backend does not lock: two concurrent
# conditional writes to one item can both pass their condition, which real DynamoDB never allows.
# pacer's claims, idempotency keys and quota reservations rely on exactly that guarantee, so here every
# DynamoDB action runs under one lock. SQS and S3 stay concurrent (SQS long polls must not block others).
import threading

try:
    from moto.dynamodb.responses import DynamoHandler

    _lock = threading.Lock()
    _call_action = DynamoHandler.call_action

    def _serialised_call_action(self):
        with _lock:
            return _call_action(self)

    DynamoHandler.call_action = _serialised_call_action
except Exception as error:  # a moto without this handler: run it as it is, but say so
    import sys
    print("pacer: could not serialise moto's DynamoDB actions: %r" % (error,), file=sys.stderr)
