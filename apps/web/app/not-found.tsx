import Link from "next/link";

export default function NotFound() {
  return (
    <div className="empty" data-testid="not-found">
      <span className="badge badge-neutral">404</span>
      <h1>Page not found</h1>
      <p>There is no challenge or page at this address. It may have been renamed, or the link is mistyped.</p>
      <Link href="/" className="btn btn-primary btn-sm">
        Browse challenges
      </Link>
    </div>
  );
}
