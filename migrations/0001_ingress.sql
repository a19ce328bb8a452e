CREATE TABLE `twitch_eventsub_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`version` text NOT NULL,
	`broadcaster_id` text NOT NULL,
	`condition` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`revoked_reason` text,
	`revoked_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `twitch_eventsub_broadcaster` ON `twitch_eventsub_subscriptions` (`broadcaster_id`,`type`);