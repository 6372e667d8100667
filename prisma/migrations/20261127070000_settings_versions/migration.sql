-- Every change of a workspace setting: which version, who, when, the value before and after.
CREATE TABLE "SettingsVersion" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "previous" JSONB,
    "next" JSONB,
    "changedById" UUID,
    "changedByApiKeyId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SettingsVersion_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "SettingsVersion_tenantId_version_idx" ON "SettingsVersion"("tenantId", "version" DESC);

ALTER TABLE "SettingsVersion" ADD CONSTRAINT "SettingsVersion_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tenant isolation, as on every tenant-owned table.
ALTER TABLE "SettingsVersion" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "SettingsVersion" USING ("tenantId" = app_current_tenant()) WITH CHECK ("tenantId" = app_current_tenant());
