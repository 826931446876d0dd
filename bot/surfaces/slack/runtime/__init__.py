"""What happens after the ack: durable work, the dispatcher and its jobs, answering in the right
place, the feedback courier, error sorting."""
