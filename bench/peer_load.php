<?php
/*
 * The bench's WordPress peer (bench/measures/peer.py): installs Debian's WordPress with its
 * own functions and loads the stories the bench exported from our database, through
 * wp_insert_post, their photos as attachments with WordPress's own image sizes.
 *
 *     WORDPRESS_CONFIG=<name> php bench/peer_load.php <stories.json> <site url>
 *
 * Prints one JSON line: the seed story's path and what was loaded.
 */
[$script, $source, $site_url] = $argv;
$_SERVER['WORDPRESS_CONFIG'] = getenv('WORDPRESS_CONFIG');  // Debian's wp-config.php picks it
$_SERVER['HTTP_HOST'] = parse_url($site_url, PHP_URL_HOST) . ':' . parse_url($site_url, PHP_URL_PORT);
$_SERVER['REQUEST_URI'] = '/';
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/taxonomy.php';
require_once ABSPATH . 'wp-admin/includes/image.php';

$data = json_decode(file_get_contents($source), true);
wp_install('Toà Soạn peer', 'bientap', 'bientap@example.invalid', false, '', wp_generate_password(24));
$wp_rewrite->set_permalink_structure('/%category%/%postname%/');
update_option('WPLANG', '');
update_option('posts_per_page', 10);
create_initial_taxonomies();  // again, now with the permalinks' rewrite tags
flush_rewrite_rules(false);
wp_set_current_user(1);
wp_defer_term_counting(true);

$uploads = wp_upload_dir();
$attachments = [];
foreach ($data['photos'] as $key => $photo) {
    $name = basename($photo['file']);
    $target = $uploads['path'] . '/' . $name;
    copy($photo['file'], $target);
    $id = wp_insert_attachment([
        'post_title' => $photo['title'],
        'post_excerpt' => $photo['caption'],
        'post_mime_type' => 'image/jpeg',
        'post_status' => 'inherit',
        'guid' => $uploads['url'] . '/' . $name,
    ], $target);
    wp_update_attachment_metadata($id, wp_generate_attachment_metadata($id, $target));
    $attachments[$key] = $id;
}

function peer_image_block(int $id, string $caption): string {
    $url = wp_get_attachment_image_url($id, 'large');
    $caption = esc_html($caption);
    return "<!-- wp:image {\"id\":$id,\"sizeSlug\":\"large\",\"linkDestination\":\"none\"} -->\n"
        . "<figure class=\"wp-block-image size-large\"><img src=\"$url\" alt=\"\" class=\"wp-image-$id\"/>"
        . "<figcaption class=\"wp-element-caption\">$caption</figcaption></figure>\n<!-- /wp:image -->";
}

$categories = [];
$seed = null;
foreach ($data['posts'] as $post) {
    $blocks = [];
    foreach ($post['blocks'] as [$kind, $value]) {
        if ($kind === 'photo') {
            $photo = $data['photos'][$value];
            $blocks[] = peer_image_block($attachments[$value], $photo['caption'] . ' Ảnh: ' . $photo['credit']);
        } else {
            $blocks[] = "<!-- wp:paragraph -->\n$value\n<!-- /wp:paragraph -->";
        }
    }
    $category = $categories[$post['section']] ??= wp_create_category($post['section']);
    $id = wp_insert_post([
        'post_title' => $post['title'],
        'post_excerpt' => $post['excerpt'],
        'post_content' => implode("\n\n", $blocks),
        'post_date' => $post['date'],
        'post_status' => 'publish',
        'post_author' => 1,
        'post_category' => [$category],
        'tags_input' => $post['tags'],
    ], true);
    if (is_wp_error($id)) {
        fwrite(STDERR, $id->get_error_message() . "\n");
        exit(1);
    }
    if ($post['cover'] !== null) {
        set_post_thumbnail($id, $attachments[$post['cover']]);
    }
    if (!empty($post['seed'])) {
        $seed = $id;
    }
}
wp_defer_term_counting(false);
echo json_encode([
    'seed' => wp_make_link_relative(get_permalink($seed)),
    'posts' => count($data['posts']),
    'attachments' => count($attachments),
    'version' => get_bloginfo('version'),
    'theme' => get_stylesheet(),
]) . "\n";
