"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const links = [
  { href: "/", label: "Challenges", match: (p: string) => p === "/" || p.startsWith("/challenges") },
  { href: "/create", label: "Create", match: (p: string) => p.startsWith("/create") },
  { href: "/status", label: "Status", match: (p: string) => p.startsWith("/status") },
] as const;

export function NavLinks() {
  const pathname = usePathname();
  return (
    <nav className="nav" aria-label="Main">
      {links.map((link) => {
        const active = link.match(pathname);
        return (
          <Link
            key={link.href}
            href={link.href}
            className="nav-link"
            aria-current={active ? "page" : undefined}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
