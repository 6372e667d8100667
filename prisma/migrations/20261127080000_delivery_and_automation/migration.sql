-- A failed reply an admin decided not to retry (the Delivery settings page): it
-- stays in the thread as failed, and leaves the list of deliveries to look at.
ALTER TABLE "Message" ADD COLUMN "discardedAt" TIMESTAMP(3);

-- When the away auto-reply was last handled in a conversation (sent, or found to
-- have no template): intake reads it with the conversation it already loads, and
-- queues no auto-reply job for the away reply again within the workspace's period.
ALTER TABLE "Conversation" ADD COLUMN "awayHandledAt" TIMESTAMP(3);
