-- Channels behind one contract: a channel keeps the columns every kind has; each kind's own
-- columns move to a table of its own. Existing Telegram channels move with their values.
-- A kind is the name of its adapter (server/channels/registry.ts), not a database enum: adding a
-- channel kind touches no core table.
ALTER TABLE "Channel" ALTER COLUMN "type" TYPE TEXT USING "type"::text;
DROP TYPE "ChannelType";

-- CreateTable
CREATE TABLE "TelegramChannel" (
    "channelId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "mode" "ChannelMode" NOT NULL,
    "tokenCiphertext" TEXT NOT NULL,
    "tokenKeyId" TEXT NOT NULL,
    "botId" BIGINT,
    "botUsername" TEXT,
    "webhookSecret" TEXT NOT NULL,
    "apiRoot" TEXT,
    "pollingOffset" BIGINT,

    CONSTRAINT "TelegramChannel_pkey" PRIMARY KEY ("channelId")
);

CREATE TABLE "WebWidgetChannel" (
    "channelId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "publicId" TEXT NOT NULL,
    "allowedOrigins" TEXT[],
    "color" TEXT NOT NULL,
    "position" TEXT NOT NULL,
    "greeting" TEXT,
    "secretCiphertext" TEXT NOT NULL,
    "secretKeyId" TEXT NOT NULL,
    "requireIdentity" BOOLEAN NOT NULL DEFAULT false,
    "preChat" JSONB NOT NULL DEFAULT '{"enabled":false,"fields":[]}',

    CONSTRAINT "WebWidgetChannel_pkey" PRIMARY KEY ("channelId")
);

-- CreateIndex
CREATE INDEX "TelegramChannel_botId_idx" ON "TelegramChannel"("botId");
CREATE INDEX "TelegramChannel_tenantId_idx" ON "TelegramChannel"("tenantId");
CREATE UNIQUE INDEX "WebWidgetChannel_publicId_key" ON "WebWidgetChannel"("publicId");
CREATE INDEX "WebWidgetChannel_tenantId_idx" ON "WebWidgetChannel"("tenantId");

-- AddForeignKey
ALTER TABLE "TelegramChannel" ADD CONSTRAINT "TelegramChannel_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TelegramChannel" ADD CONSTRAINT "TelegramChannel_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "WebWidgetChannel" ADD CONSTRAINT "WebWidgetChannel_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "WebWidgetChannel" ADD CONSTRAINT "WebWidgetChannel_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The data: every channel so far is a Telegram bot.
INSERT INTO "TelegramChannel" ("channelId", "tenantId", "mode", "tokenCiphertext", "tokenKeyId", "botId", "botUsername", "webhookSecret", "apiRoot", "pollingOffset")
SELECT "id", "tenantId", "mode", "tokenCiphertext", "tokenKeyId", "botId", "botUsername", "webhookSecret", "apiRoot", "pollingOffset" FROM "Channel";

DROP INDEX "Channel_type_botId_idx";
ALTER TABLE "Channel" DROP COLUMN "mode", DROP COLUMN "tokenCiphertext", DROP COLUMN "tokenKeyId", DROP COLUMN "botId",
  DROP COLUMN "botUsername", DROP COLUMN "webhookSecret", DROP COLUMN "apiRoot", DROP COLUMN "pollingOffset";

-- Dedupe by a key the adapter chooses: Telegram's keys are its update ids, as text.
ALTER TABLE "ProcessedUpdate" DROP CONSTRAINT "ProcessedUpdate_pkey";
ALTER TABLE "ProcessedUpdate" ALTER COLUMN "updateId" TYPE TEXT USING "updateId"::text;
ALTER TABLE "ProcessedUpdate" RENAME COLUMN "updateId" TO "key";
ALTER TABLE "ProcessedUpdate" ADD CONSTRAINT "ProcessedUpdate_pkey" PRIMARY KEY ("channelId", "key");

ALTER TABLE "ContactIdentity" ADD COLUMN "details" JSONB;
ALTER TABLE "Contact" ADD COLUMN "email" TEXT;
ALTER TABLE "Conversation" ADD COLUMN "contactReadAt" TIMESTAMP(3);

-- Tenant isolation, as on every tenant-owned table.
ALTER TABLE "TelegramChannel" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TelegramChannel" USING ("tenantId" = app_current_tenant()) WITH CHECK ("tenantId" = app_current_tenant());
ALTER TABLE "WebWidgetChannel" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "WebWidgetChannel" USING ("tenantId" = app_current_tenant()) WITH CHECK ("tenantId" = app_current_tenant());

-- The website widget: "seen" for the visitor, and whose upload a visitor's file is.
ALTER TABLE "Conversation" ADD COLUMN "agentReadAt" TIMESTAMP(3);
ALTER TABLE "Upload" ADD COLUMN "visitorKey" TEXT;
