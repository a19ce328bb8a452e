CREATE TABLE `module_reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`module_id` text NOT NULL,
	`user_id` text NOT NULL,
	`rating` integer NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`reply` text,
	`replied_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `module_reviews_module_user` ON `module_reviews` (`module_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `module_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`installation_id` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`checkout_session_id` text,
	`stripe_subscription_id` text,
	`stripe_customer_id` text,
	`current_period_end` integer,
	`last_event_at` integer,
	`notice_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`installation_id`) REFERENCES `module_installations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `module_subscriptions_installation_id_unique` ON `module_subscriptions` (`installation_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `module_subscriptions_checkout_session_id_unique` ON `module_subscriptions` (`checkout_session_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `module_subscriptions_stripe_subscription_id_unique` ON `module_subscriptions` (`stripe_subscription_id`);--> statement-breakpoint
CREATE INDEX `module_subscriptions_status` ON `module_subscriptions` (`status`);--> statement-breakpoint
CREATE TABLE `module_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`module_id` text NOT NULL,
	`version` text NOT NULL,
	`engine` text NOT NULL,
	`config` text NOT NULL,
	`commands` text DEFAULT '[]' NOT NULL,
	`events` text DEFAULT '[]' NOT NULL,
	`settings_schema` text NOT NULL,
	`permissions` text DEFAULT '[]' NOT NULL,
	`price_monthly` integer DEFAULT 0 NOT NULL,
	`currency` text DEFAULT 'usd' NOT NULL,
	`priority` integer DEFAULT 100 NOT NULL,
	`parallel` integer DEFAULT false NOT NULL,
	`yanked_at` integer,
	`yank_reason` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `module_versions_module_version` ON `module_versions` (`module_id`,`version`);--> statement-breakpoint
ALTER TABLE `module_installations` ADD `version_id` text REFERENCES module_versions(id);--> statement-breakpoint
ALTER TABLE `module_installations` ADD `settings` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `module_installations` ADD `secrets` text;--> statement-breakpoint
ALTER TABLE `module_installations` ADD `overrides` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `modules` ADD `author_id` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `modules` ADD `display_name` text;--> statement-breakpoint
ALTER TABLE `modules` ADD `description` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `modules` ADD `categories` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `modules` ADD `labels` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `modules` ADD `homepage` text;--> statement-breakpoint
ALTER TABLE `modules` ADD `icon_url` text;--> statement-breakpoint
ALTER TABLE `modules` ADD `owner_community_id` text REFERENCES communities(id);--> statement-breakpoint
ALTER TABLE `modules` ADD `latest_version` text;--> statement-breakpoint
ALTER TABLE `modules` ADD `search_text` text DEFAULT '' NOT NULL;