DROP TABLE `spotify_auth_states`;--> statement-breakpoint
ALTER TABLE `oauth_states` ADD `code_verifier` text;