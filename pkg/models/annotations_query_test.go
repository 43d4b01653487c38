package models

import (
	"errors"
	"reflect"
	"testing"
)

// An annotations query names the field that is wrong; no kinds means every kind.
func TestLoadAnnotationsQuery(t *testing.T) {
	q, err := LoadAnnotationsQuery([]byte(`{"contract":" acme-it,globex "}`))
	if err != nil || q.Contract != "acme-it,globex" || !reflect.DeepEqual(q.Kinds, AnnotationKinds) {
		t.Fatalf("defaults: %+v (%v)", q, err)
	}
	q, err = LoadAnnotationsQuery([]byte(`{"contract":"*","kinds":["rag","closes"]}`))
	if err != nil || !q.Wants(AnnotationRAG) || !q.Wants(AnnotationCloses) || q.Wants(AnnotationRenewal) {
		t.Fatalf("kinds: %+v (%v)", q, err)
	}
	for body, field := range map[string]string{
		`{}`:                       "contract",
		`{"contract":"  "}`:        "contract",
		`{"contract":"$contract"}`: "contract",
		`{"contract":"acme","kinds":["rag","deploys"]}`: "kinds[1]",
	} {
		_, err := LoadAnnotationsQuery([]byte(body))
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != field || !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("%s: %v, want an error on %s", body, err, field)
		}
	}
	if _, err := LoadAnnotationsQuery([]byte(`{"contract":"acme","kinds":"rag"}`)); !errors.Is(err, ErrInvalidQuery) {
		t.Errorf("kinds as a string: %v", err)
	}
}
