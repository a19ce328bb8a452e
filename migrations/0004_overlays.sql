CREATE TABLE `overlay_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`type` text NOT NULL,
	`token` text NOT NULL,
	`token_hash` text NOT NULL,
	`generation` integer DEFAULT 1 NOT NULL,
	`previous_token_hash` text,
	`grace_until` integer,
	`created_at` integer NOT NULL,
	`rotated_at` integer,
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `overlay_tokens_token_hash_unique` ON `overlay_tokens` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `overlay_tokens_community_type` ON `overlay_tokens` (`community_id`,`type`);--> statement-breakpoint
CREATE INDEX `overlay_tokens_previous` ON `overlay_tokens` (`previous_token_hash`);