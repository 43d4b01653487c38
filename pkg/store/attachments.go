package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// Attachment is a file attached to a ledger act, known by the SHA-256 of its content.
type Attachment struct {
	SHA256    string    `json:"sha256"`
	Name      string    `json:"name"`
	Type      string    `json:"type"`
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy string    `json:"createdBy"`
}

// PutAttachment stores a file's content under its SHA-256 (once per scope: the
// same content again keeps the first name) and returns what is stored.
func (s *Store) PutAttachment(ctx context.Context, name, typ string, content []byte, by string, at time.Time) (_ Attachment, err error) {
	defer markUnavailable(&err)
	sum := sha256.Sum256(content)
	a := Attachment{SHA256: hex.EncodeToString(sum[:]), Name: name, Type: typ, Size: int64(len(content)), CreatedAt: at.UTC().Truncate(time.Millisecond), CreatedBy: by}
	_, err = s.db.ExecContext(ctx, s.rebind(`INSERT INTO attachment (scope, sha256, name, type, size, content, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
		s.scope, a.SHA256, a.Name, a.Type, a.Size, base64.StdEncoding.EncodeToString(content), a.CreatedAt.UnixMilli(), a.CreatedBy)
	if err != nil {
		return Attachment{}, fmt.Errorf("store: save the attachment: %w", err)
	}
	stored, _, err := s.attachment(ctx, a.SHA256, false)
	return stored, err
}

// AttachmentInfo is what is stored about an attachment, without its content;
// models.ErrNotFound when there is none.
func (s *Store) AttachmentInfo(ctx context.Context, sha string) (_ Attachment, err error) {
	defer markUnavailable(&err)
	a, _, err := s.attachment(ctx, sha, false)
	return a, err
}

// AttachmentContent is an attachment with its content; models.ErrNotFound when there is none.
func (s *Store) AttachmentContent(ctx context.Context, sha string) (_ Attachment, _ []byte, err error) {
	defer markUnavailable(&err)
	return s.attachment(ctx, sha, true)
}

func (s *Store) attachment(ctx context.Context, sha string, withContent bool) (Attachment, []byte, error) {
	cols := "sha256, name, type, size, created_at, created_by"
	if withContent {
		cols += ", content"
	}
	var a Attachment
	var at int64
	var text string
	dest := []any{&a.SHA256, &a.Name, &a.Type, &a.Size, &at, &a.CreatedBy}
	if withContent {
		dest = append(dest, &text)
	}
	err := s.db.QueryRowContext(ctx, s.rebind(`SELECT `+cols+` FROM attachment WHERE scope = ? AND sha256 = ?`), s.scope, sha).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return Attachment{}, nil, fmt.Errorf("%w: there is no attachment %s", models.ErrNotFound, sha)
	}
	if err != nil {
		return Attachment{}, nil, fmt.Errorf("store: read the attachment: %w", err)
	}
	a.CreatedAt = time.UnixMilli(at).UTC()
	if !withContent {
		return a, nil, nil
	}
	content, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return Attachment{}, nil, fmt.Errorf("store: attachment %s is damaged: %w", sha, err)
	}
	return a, content, nil
}
