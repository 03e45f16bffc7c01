-- The id Aegis's webhooks name a user by is kept apart from the sign-in binding (the /me uuid): the two
-- need not be the same value, and a webhook must never decide who signs in as an admin.
ALTER TABLE "console_admins" ADD COLUMN "aegis_webhook_user_id" text;--> statement-breakpoint
ALTER TABLE "console_admins" ADD CONSTRAINT "console_admins_aegis_webhook_user_id_check" CHECK (btrim("console_admins"."aegis_webhook_user_id") <> '');--> statement-breakpoint
-- Rows a webhook created stored the webhook's user_id as the binding. Keep it as the webhook id and unbind
-- them: the admin is bound again, to the /me uuid, at their next sign-in as a verified user of our site.
UPDATE "console_admins" SET "aegis_webhook_user_id" = "aegis_user_id", "aegis_user_id" = NULL WHERE "source" = 'webhook' AND "aegis_user_id" IS NOT NULL;
